"""The learned object tagger: a linear-chain CRF that marks, in a parsed user message, the spans
that are objects of a registry predicate ("ux lead" → job_title, "lx" → lives_in, "penpot" →
uses), trained from annotated conversations by ``asof train``.

- :mod:`.features`: what the model sees of each token (words, shapes, the parse, the clause's
  modality, the rules' own candidates, the assistant question a short reply answers);
- :mod:`.corpus`: gold conversations → token sequences labelled BIO with predicates;
- :mod:`.model`: the trained artifact, loading and prediction;
- :mod:`.train`: the seeded, reproducible training run;
- :mod:`.component`: the spaCy component that turns predicted spans into relation candidates
  for the assembler, beside the rules' own.
"""
