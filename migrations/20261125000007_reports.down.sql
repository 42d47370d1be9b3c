drop table reports;
