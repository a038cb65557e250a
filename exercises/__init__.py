"""The built-in exercise library: one YAML file per exercise, installed as the package `fitness._exercises`."""
