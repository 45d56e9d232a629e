"""Models that can be run: the ``.npz`` network format (with gradients), ONNX (predict-only), and converters."""
