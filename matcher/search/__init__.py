"""Finding people for jobs and jobs for people: embeddings, the FAISS indexes and their language correction,
hybrid matching with explanations, industry fit, and the cross-language parity measurement."""
