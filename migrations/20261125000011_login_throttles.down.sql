drop table login_throttles;
