from prinkipo.cli import cli

cli(prog_name="prinkipo")
