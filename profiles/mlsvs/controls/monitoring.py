"""Monitoring: recent production data has not drifted from the training data."""

from inspecpy import control, describe, input, profile_file
from inspecpy.resources import dataset

RECENT = input("recent_path", value=profile_file("recent.csv"))
TRAIN = input("train_path", value=profile_file("train.npz"))
LABEL = input("label")


@control("mlsvs-monitor-01", impact="medium", title="Recent production data has not drifted from the training data",
         desc="Inputs that moved away from the training distribution silently cost accuracy. Each feature "
              "column of a recent sample (the label left out) is compared with the training data: PSI on "
              "bins chosen from the training data, corrected for sample size (drift at 0.1), or a KS "
              "p-value below 0.05. The failure message names the drifted columns with their statistic.",
         tags={"owasp_ml": ["ML08"], "aisvs": ["12.3.1"]})
def _():
    recent = dataset(RECENT, label=LABEL, reference=TRAIN)
    describe(recent).should.exist()
    describe(recent.drift(method=input("drift_method"))).its("drift_share") \
        .should.be_at_most(input("max_drifted_share"))
    describe(recent).its("overlap").should.eq(0)
