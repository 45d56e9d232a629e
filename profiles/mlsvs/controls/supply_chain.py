"""Model supply chain: the model file is safe to load, pinned and signed."""

from inspecpy import control, describe, input, profile_file
from inspecpy.resources import model

MODEL = input("model_path", value=profile_file("model.npz"))
LEGACY = input("legacy_model_path", value=profile_file("legacy_model.pkl"))
PUBLIC_KEY = input("model_public_key", value=profile_file("model_signing.pub"))
SIGNER_IDENTITY = input("signer_identity", value="")
SIGNER_ISSUER = input("signer_issuer", value="")
SUPPLY_CHAIN = {"owasp_ml": ["ML06", "ML10"]}


@control("mlsvs-model-01", impact="critical", title="Model files are scanned before they are loaded",
         desc="A serialized model can run code when it is loaded (pickle, joblib, PyTorch). Every model "
              "file is scanned statically, without loading it, and only data-only content is accepted.",
         tags={**SUPPLY_CHAIN, "aisvs": ["6.1.1"]})
def _():
    for path in (MODEL, LEGACY):
        describe(model(path)).should.exist()
        describe(model(path)).should.be_safe()
        describe(model(path)).its("unsafe_globals").should.be_empty()


@control("mlsvs-model-02", impact="high", title="The model is signed by its publisher and unchanged",
         desc="An OpenSSF model-signing bundle beside the model proves who published it and that no "
              "byte changed since. Set signer_identity and signer_issuer to pin a Sigstore keyless "
              "signer instead of a public key.",
         tags={**SUPPLY_CHAIN, "aisvs": ["3.1.2", "3.1.3"]})
def _():
    if SIGNER_IDENTITY:  # pinned by Sigstore keyless identity (OIDC subject + issuer)
        describe(model(MODEL)).should.be_signed_by(identity=SIGNER_IDENTITY, issuer=SIGNER_ISSUER)
    else:
        describe(model(MODEL)).should.be_signed_by(PUBLIC_KEY)


@control("mlsvs-model-03", impact="high", title="The deployed model is the pinned one",
         tags={**SUPPLY_CHAIN, "aisvs": ["3.1.3"]})
def _():
    describe(model(MODEL)).its("sha256").should.eq(input("model_sha256"))
    describe(model(MODEL)).its("format").should.eq("npz")
