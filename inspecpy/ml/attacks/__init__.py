"""Evasion attacks and robustness: white-box (FGSM, PGD) and black-box (noise, SimBA, HopSkipJump)."""
