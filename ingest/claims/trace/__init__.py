"""Claim tracing: cluster claim mentions (any article, any language) into claims with stable ids.

A mention becomes a set of tokens: language-neutral ones (quantity anchors `q:70:%`, lexicon concepts
`k:rare_earth`, countries `c:CN`, names `n:vance`, the speaker `s:jd vance`) and surface ones (English word
stems `w:`, Chinese character bigrams `z:`). Candidates share tokens (the `claim_blocks` index); a pair is
linked when its content overlaps enough — across languages only the neutral tokens count. Linked mentions
form a claim (connected components). The same figure with another value (both give a `%`, the values
differ, the words agree) is linked too and marks the claim `has_variants`.

Ids are stable: `claim_keys` remembers which claim each (article, sentence) belonged to; a new cluster
keeps the id most of its mentions had, two merged claims keep the older (smaller) id and
`claim_redirects` sends the other one there.
"""
from .chain import chain_edges, outlet_of
from .linking import linked, similarity
from .rows import load_mentions, sentence_hash, sentence_key
from .summary import STATE_MIN_MENTIONS, fold, merge, summarise, summary_of, variants
from .tokens import block_keys, canonical_speaker, dump_features, features, load_features, norm_unit, speaker_token
from .update import resolve, update_claims

__all__ = ["chain_edges", "outlet_of", "linked", "similarity", "load_mentions", "sentence_hash", "sentence_key",
           "STATE_MIN_MENTIONS", "fold", "merge", "summarise", "summary_of", "variants", "block_keys",
           "canonical_speaker", "dump_features", "features", "load_features", "norm_unit", "speaker_token", "resolve",
           "update_claims"]
