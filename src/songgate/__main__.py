from songgate.cli.main import main

main()
