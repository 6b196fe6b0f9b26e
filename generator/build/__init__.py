"""The engine-neutral build: from a data folder to a published site, whatever engine lays out the pages.

`passerelle build` (pipeline.py) runs, in order:

1. read the configuration (project.py) and the data folder (`site.data_folder.load_site`);
2. write the hand-written pages, the generated pages and the assets into a build
   tree, as the engine's source files (sources.py);
3. let the engine build the tree (an adapter of `generator.engines`, behind `Engine`);
4. finish the built site (finish.py): explain acronyms, fill the record and
   territory pages from the layout the engine rendered (bulk.py), then run the
   post-build steps (`POST_BUILD_STEPS`, where the search index is made);
5. put the new site in place of the published one, only if every step succeeded.

The MkDocs plugin runs steps 2 and 4 inside `mkdocs serve` and `mkdocs build`
with the same functions, so both ways give the same site.
"""

import logging

# What the person who builds must know (the site has no public address, it is too big
# for its host…): on this logger, which the command line prints and MkDocs' strict
# mode does not count as a warning.
notices = logging.getLogger("passerelle")


class BuildFailed(Exception):
    """The site could not be built; the message says why, in French where it is ours."""
