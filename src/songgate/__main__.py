from songgate.cli import main

main()
