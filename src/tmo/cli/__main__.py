from tmo.cli import main

main()
