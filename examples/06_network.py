"""6 — A small fully connected network: Nielsen's notation, BP1–BP4, one sample.

What it teaches: backpropagation in a neural network is the reverse sweep of the
earlier examples, organised by layers.  With Nielsen's notation (ch. 2 of
"Neural Networks and Deep Learning"):

    z^l = w^l a^{l−1} + b^l,  a^l = σ(z^l),  δ^l = ∂C/∂z^l

the four equations are

    BP1  δ^L = ∇_a C ⊙ σ'(z^L)                 (the error at the output)
    BP2  δ^l = ((w^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l)   (one layer back)
    BP3  ∂C/∂b^l_j = δ^l_j
    BP4  ∂C/∂w^l_{jk} = a^{l−1}_k δ^l_j

symbp derives them for a 2-2-1 sigmoid network with the quadratic cost, shows
how each is a step of the reverse sweep over the network's neuron-level graph,
then works one training example through: the forward pass, δ by BP1 and BP2, the
gradient by BP3 and BP4, and one step of gradient descent.  Every equation and
number is checked against the engine's reverse sweep, sympy.diff and finite
differences.  Run:  python examples/06_network.py
"""


from _tutorial import NETWORK, console, heading, say

import symbp

SAMPLE = {"x": [1.0, 0.5], "y": [1.0]}


heading("Part 1: the four equations, derived for a 2-2-1 network")
say("First the notation and BP1–BP4 in general, then each equation written out "
    "for every neuron of this network, and the reverse sweep over its graph that "
    "computes the same numbers:")
console.print(symbp.derive_network(NETWORK["layers"], NETWORK["activation"], NETWORK["cost"]))

heading("Part 2: one training example worked through")
say(f"Now with numbers: the parameters below, the example x = ({', '.join(map(str, SAMPLE['x']))}) "
    f"with desired output y = {SAMPLE['y'][0]}, and η = {NETWORK['learning_rate']}.  "
    "Forward pass, then δ from the output back (BP1, BP2), then the gradient (BP3, "
    "BP4) and one step of gradient descent:")
spec = symbp.parse_spec({**NETWORK, "samples": [SAMPLE]})
walkthrough = symbp.network_walkthrough(spec)
console.print(walkthrough)

result = walkthrough.samples[0]
say(f"\nIn short: C = {result.cost:.6g}; δ³₁ = {result.delta[-1][0]:.6g} (BP1); "
    f"δ² = ({result.delta[0][0]:.6g}, {result.delta[0][1]:.6g}) (BP2); "
    f"∂C/∂w³₁₁ = a²₁·δ³₁ = {result.grad_w[-1][0][0]:.6g} (BP4).")
