alter table client_contacts drop column entered;
