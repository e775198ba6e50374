"""Reading the site: front matter (the one YAML entry point), the content model, ``site.yml``,
content files, results pages and translations as data."""
