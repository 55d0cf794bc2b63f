"""Sub-commands of `reach`: each module has configure(parser) and run(args, home)."""
