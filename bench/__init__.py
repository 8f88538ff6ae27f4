"""`make bench`: load tests of the registration rush and the public page (see README.md)."""
