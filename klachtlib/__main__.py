from klachtlib.delivery.cli import main

main()
