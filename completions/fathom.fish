# fish completion for fathom(1)
set -l cmds files history advise inspect diff report squash extract fix build scan cache help
complete -c fathom -f
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -a "$cmds"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -a "(__fish_complete_suffix .tar)"
complete -c fathom -n "__fish_seen_subcommand_from files history advise inspect diff report squash extract fix scan" -a "(__fish_complete_suffix .tar)"
complete -c fathom -l source -x -a "docker-archive oci-archive oci docker podman registry" -d "read IMAGE as"
complete -c fathom -l platform -x -d "OS/ARCH[/VARIANT]"
complete -c fathom -l image -x -d "image of a multi-image archive"
complete -c fathom -l jobs -x -d "threads reading layers"
complete -c fathom -l insecure -d "registry over plain HTTP"
complete -c fathom -l verify -d "check every digest"
complete -c fathom -l no-verify -d "never check digests"
complete -c fathom -l timeout -x -d "seconds before a stalled source fails"
complete -c fathom -l max-layer-bytes -x -d "refuse larger layers"
complete -c fathom -l no-cache -d "neither use nor fill the layer cache"
complete -c fathom -l cache-size -x -d "the layer cache's bound"
complete -c fathom -l progress -d "loading progress"
complete -c fathom -l help -s h -d "usage"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -l version -d "version and libraries"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -l ci -d "check the rules"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -l ci-config -r -d "rules file"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -l ci-format -x -a "text json markdown junit dive html"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -l json -s j -r -d "dive's JSON export"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -l report -r -d "HTML report"
complete -c fathom -n "not __fish_seen_subcommand_from $cmds" -l onbuild -x -a "fail warn off"
complete -c fathom -n "__fish_seen_subcommand_from files history advise inspect diff fix" -l format -x -a "text json"
complete -c fathom -n "__fish_seen_subcommand_from files extract" -l layer -x
complete -c fathom -n "__fish_seen_subcommand_from files" -l changes
complete -c fathom -n "__fish_seen_subcommand_from history" -l no-trunc
complete -c fathom -n "__fish_seen_subcommand_from diff" -l files
complete -c fathom -n "__fish_seen_subcommand_from diff" -l layer-a -x
complete -c fathom -n "__fish_seen_subcommand_from diff" -l layer-b -x
complete -c fathom -n "__fish_seen_subcommand_from report squash fix scan" -l output -s o -r
complete -c fathom -n "__fish_seen_subcommand_from squash" -l from -x
complete -c fathom -n "__fish_seen_subcommand_from squash" -l keep-base
complete -c fathom -n "__fish_seen_subcommand_from squash" -l tag -x
complete -c fathom -n "__fish_seen_subcommand_from squash" -l format -x -a "docker-archive oci-archive oci"
complete -c fathom -n "__fish_seen_subcommand_from squash" -l compress -x -a "none gzip zstd"
complete -c fathom -n "__fish_seen_subcommand_from extract" -l directory -s C -x -a "(__fish_complete_directories)"
complete -c fathom -n "__fish_seen_subcommand_from extract" -l force
complete -c fathom -n "__fish_seen_subcommand_from build fix" -l engine -x -a "docker podman buildah"
complete -c fathom -n "__fish_seen_subcommand_from advise fix" -l dockerfile -r -d "the Dockerfile it was built from"
complete -c fathom -n "__fish_seen_subcommand_from advise fix" -l context -x -a "(__fish_complete_directories)" -d "the build context"
complete -c fathom -n "__fish_seen_subcommand_from fix" -l dockerignore -r -d "the .dockerignore to write"
complete -c fathom -n "__fish_seen_subcommand_from help" -a "$cmds"
complete -c fathom -n "__fish_seen_subcommand_from cache" -a "list prune clear"
complete -c fathom -n "__fish_seen_subcommand_from cache" -l format -x -a "text json"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l from-file -r -d "images, one a line"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l repo -x -d "a catalog's repositories (glob)"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l tag -x -d "their tags (glob)"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l format -x -a "text json csv html"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l sort -x -a "name digest size layers efficiency wasted reclaimable savings onbuild unique shared"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l reverse -d "sort the other way"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l top -x -d "shared layers listed"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l shard -x -d "share I/N of the images"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l merge -d "join JSON results"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l ci -d "check the rules"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l ci-config -r -d "rules file"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l onbuild -x -a "fail warn off"
complete -c fathom -n "__fish_seen_subcommand_from scan" -l base-layers -x
