from klachtlib.cli import main

main()
