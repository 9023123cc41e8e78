"""People, places, organisations and periodicals: the authority file and linking to it."""
