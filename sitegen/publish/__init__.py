"""Publishing a built site folder: the atomic writer and the search index."""
