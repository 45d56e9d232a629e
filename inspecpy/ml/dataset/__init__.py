"""The dataset engine: streaming readers (CSV, JSONL, npz/npy, parquet) and one-pass checks
(statistics, duplicates and conflicts, PII, drift), in bounded memory."""
