"""Sub-commands of `kg`, one module each; each registers on kg.cli.app."""
