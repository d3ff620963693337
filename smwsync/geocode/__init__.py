"""Finding where events are: the offline gazetteer, the offline ladder and the online providers."""
