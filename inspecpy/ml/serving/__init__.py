"""Live inference endpoints: the HTTP client, the serving protocols, probes and result objects
behind the ``model_endpoint`` resource.

- :mod:`~inspecpy.ml.serving.client`: HTTP/1.1 on the standard library (pooled connections,
  bounded reads, TLS verified, no credentials across origins);
- :mod:`~inspecpy.ml.serving.protocol`: the Open Inference Protocol v2 and KServe/TF-Serving v1;
- :mod:`~inspecpy.ml.serving.remote`: a served model as a classifier (batched, concurrent, counted);
- :mod:`~inspecpy.ml.serving.hygiene`, :mod:`~inspecpy.ml.serving.tls`: the probes;
- :mod:`~inspecpy.ml.serving.results`: the frozen result objects controls read
  (:mod:`~inspecpy.ml.serving.robust_result` the attack's, apart: it needs numpy).
"""
