"""The e-mail outbox: messages written with the change, sent later over SMTP."""
