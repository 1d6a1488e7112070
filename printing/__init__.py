"""PDF rendering for the whole product: letters, reports. The lowest layer; imports no domain app."""
