// 0003_fulltext: full-text search over episode text and facts (Lucene, standard analyzer without
// stop words). `tenant` is indexed too so a query can be narrowed to one tenant inside Lucene;
// every search statement still filters on `node.tenant = $tenant` afterwards.
// Erased episodes have their text set to '' and erased evidence is removed, which removes them
// from these indexes.
CREATE FULLTEXT INDEX asof_episode_text IF NOT EXISTS
FOR (e:Episode) ON EACH [e.tenant, e.text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}};
CREATE FULLTEXT INDEX asof_fact_text IF NOT EXISTS
FOR (f:Fact) ON EACH [f.tenant, f.subject_name, f.predicate, f.object_name, f.object_value, f.evidence]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}};
