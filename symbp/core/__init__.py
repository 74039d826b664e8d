"""The engine: the graph, the rule table, values, local partials, sweeps, paths, costs, checks."""
