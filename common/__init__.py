"""What every app's pages share and nothing of the domain: the one way a page runs a form through a service."""
