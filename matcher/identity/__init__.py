"""One person from several sources: identity evidence on every candidate record (identifiers, names across scripts,
schools, employers) and the decision whether two records are one person."""
