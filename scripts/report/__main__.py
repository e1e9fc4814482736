from scripts.report import main

main()
