"""The presentation layer: what a bedside query means, shared by search and the symptom finder.

The query is parsed once (SearchQuery): the symptoms it describes, the procedure and the time
since it, the drugs it names, and what it asks for. Complication profiles are scored against it
with the same function the symptom finder uses.
"""

from index.presentation.profiles import Profile, ProfileFit, ProfileScorer
from index.presentation.query import SearchQuery, parse_query
from index.presentation.vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "Profile",
    "ProfileFit",
    "ProfileScorer",
    "SearchQuery",
    "Vocabulary",
    "load_vocabulary",
    "parse_query",
]
