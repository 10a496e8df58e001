from devlog.cli import main

main()
