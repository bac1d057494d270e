"""Developer tools that are not part of the pipeline: the offline install package (`make bundle`)."""
