"""Sub-commands of `kg`, one module each. Each marks its functions with
:func:`kg.commands.common.command`; :mod:`kg.cli` imports the modules and registers them."""
