"""Fully connected networks: the model, specs, the neuron graph, BP1–BP4 records."""
