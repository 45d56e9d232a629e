"""A served model: health, transport security, access control, input handling, integrity, robustness, speed.

Requests go from the machine running inspecpy to ``endpoint_url`` (an
endpoint inside a cluster is reached through its ingress or a port-forward).
Every control is skipped, saying so, while ``endpoint_url`` is not set.
"""

from inspecpy import control, describe, input, profile_file, skip
from inspecpy.resources import dataset, model, model_endpoint

URL = input("endpoint_url", value="")
PINNED = input("pinned_model_path", value=profile_file("model.npz"))
DATA = input("dataset_path", value=profile_file("test.npz"))


def endpoint():
    """The endpoint under test, or a skip that says how to name one."""
    if not URL:
        skip("endpoint_url is not set: run with --input endpoint_url=https://host:port to check a served model")
    return model_endpoint(URL, model=input("model_name", value="") or None,
                          token=input("endpoint_token", value="") or None,
                          ca_file=input("endpoint_ca_file", value="") or None,
                          plain_ports=input("plain_http_ports", value=[80]))


@control("serving-01", impact="high", title="The endpoint is live and the model is ready",
         desc="The server answers its liveness and readiness checks and reports the model loaded.",
         tags={"aisvs": ["3.3.1"]})
def _():
    ep = endpoint()
    describe(ep).its("live").should.eq(True)
    describe(ep).its("ready").should.eq(True)
    describe(ep).its("model_ready").should.eq(True)


@control("serving-02", impact="critical", title="Traffic is encrypted with a valid certificate",
         desc="Inputs and predictions cross the network: TLS 1.2 or later, a certificate that verifies against "
              "the CA and names the host, and that does not expire soon.",
         tags={"owasp_ml": ["ML05", "ML09"], "aisvs": ["4.3.4"]})
def _():
    ep = endpoint()
    describe(ep).its("tls.enabled").should.eq(True)
    if ep.tls.enabled:
        describe(ep).its("tls.verified").should.eq(True)
        describe(ep).its("tls.hostname_match").should.eq(True)
        describe(ep).its("tls.version").should.be_in(["TLSv1.2", "TLSv1.3"])
        describe(ep).its("tls.days_to_expiry").should.be_at_least(input("min_days_to_expiry"))


@control("serving-03", impact="high", title="The API is not served over plain HTTP",
         desc="The same host over http:// (the endpoint's port and plain_http_ports) must not answer API "
              "requests: a 2xx, or a 401 (credentials would then travel in clear text), is a finding.",
         tags={"owasp_ml": ["ML05", "ML09"], "aisvs": ["4.3.1"]})
def _():
    describe(endpoint()).its("plain_http_findings").should.be_empty()


@control("serving-04", impact="critical", title="Predictions require credentials",
         desc="Requests without credentials and with a wrong token get 401/403; the configured token works. "
              "An open endpoint lets anyone query the model until it is copied (model theft).",
         tags={"owasp_ml": ["ML05"], "aisvs": ["5.2.1"]})
def _():
    ep = endpoint()
    describe(ep).its("auth_findings").should.be_empty()
    describe(ep).its("requires_auth").should.eq(True)


@control("serving-05", impact="medium", title="Malformed requests get a clean 4xx",
         desc="Wrong shape, wrong datatype, a non-JSON or huge body, an unknown model, NaN/inf: each must get "
              "a 4xx (never a 5xx or a success), and no answer may show a stack trace, a file path or a version.",
         tags={"owasp_ml": ["ML01"], "aisvs": ["2.4.4", "2.4.5"]})
def _():
    describe(endpoint().error_hygiene()).its("violations").should.be_empty()


@control("serving-06", impact="low", title="The model declares its input schema",
         desc="Metadata that declares each input's datatype and shape lets the server reject malformed input "
              "before the model sees it.",
         tags={"owasp_ml": ["ML01"], "aisvs": ["2.4.1"]})
def _():
    describe(endpoint()).its("declares_schema").should.eq(True)


@control("serving-07", impact="critical", title="The endpoint serves the pinned model",
         desc="The served predictions equal the pinned model file's on the same data: a swapped or tampered "
              "model at the serving layer is caught, which no file check can.",
         tags={"owasp_ml": ["ML06", "ML10"], "aisvs": ["3.1.3"]})
def _():
    result = endpoint().agreement(model(PINNED), dataset(DATA))
    describe(result).its("agreement").should.eq(1.0)


@control("serving-08", impact="high", title="Accuracy under a black-box attack over HTTP (SimBA)",
         desc="SimBA perturbs one feature at a time by attack_eps, keeping changes that lower the true class's "
              "score, within attack_max_queries queries per sample; the input range is the pinned model's.",
         tags={"owasp_ml": ["ML01"], "aisvs": ["11.1.3"]})
def _():
    result = endpoint().robustness(dataset(DATA), attack="simba", eps=input("attack_eps"),
                                   max_queries=int(input("attack_max_queries")),
                                   samples=int(input("attack_samples")),
                                   clip_min=model(PINNED).input_range[0], clip_max=model(PINNED).input_range[1])
    describe(result).its("robust_accuracy").should.be_at_least(input("min_robust_accuracy"))


@control("serving-09", impact="medium", title="Predictions are fast enough",
         desc="latency_samples one-row requests, latency_concurrency at a time: the 99th percentile stays "
              "under max_p99_seconds and none fails.",
         tags={"aisvs": ["3.3.1"]})
def _():
    result = endpoint().latency(samples=int(input("latency_samples")),
                                concurrency=int(input("latency_concurrency")), dataset=dataset(DATA))
    describe(result).its("errors").should.eq(0)
    describe(result).its("p99").should.be_at_most(input("max_p99_seconds"))
