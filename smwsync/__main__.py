from smwsync.cli import main

main()
