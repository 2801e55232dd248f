# bash completion for fathom(1): subcommands, their options, the values of
# --source, --format, --ci-format, --compress, --onbuild, --engine, --sort,
# and image files (archives and OCI layout directories).

_fathom_source_opts="--source --platform --image --jobs --insecure --verify --no-verify --timeout --max-layer-bytes --no-cache --cache-size --progress --help"

_fathom()
{
	local cur prev words cword cmd i opts
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		files|history|advise|inspect|diff|report|squash|extract|fix|build|scan|cache|help)
			cmd=${COMP_WORDS[i]}
			break
			;;
		# the options every command takes may come before the command
		--source|--platform|--image|--jobs|--timeout|--max-layer-bytes|--cache-size) i=$((i + 1)) ;;
		-*) ;;
		*) break ;;
		esac
	done

	case $prev in
	--source)
		COMPREPLY=($(compgen -W "docker-archive oci-archive oci docker podman registry" -- "$cur"))
		return ;;
	--format)
		if [ "$cmd" = squash ]; then
			COMPREPLY=($(compgen -W "docker-archive oci-archive oci" -- "$cur"))
		elif [ "$cmd" = scan ]; then
			COMPREPLY=($(compgen -W "text json csv html" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		fi
		return ;;
	--ci-format)
		COMPREPLY=($(compgen -W "text json markdown junit dive html" -- "$cur"))
		return ;;
	--compress)
		COMPREPLY=($(compgen -W "none gzip zstd" -- "$cur"))
		return ;;
	--onbuild)
		COMPREPLY=($(compgen -W "fail warn off" -- "$cur"))
		return ;;
	--engine)
		COMPREPLY=($(compgen -W "docker podman buildah" -- "$cur"))
		return ;;
	--sort)
		COMPREPLY=($(compgen -W "name digest size layers efficiency wasted reclaimable savings onbuild unique shared" -- "$cur"))
		return ;;
	--platform)
		COMPREPLY=($(compgen -W "linux/amd64 linux/arm64 linux/arm/v7 linux/386 linux/ppc64le linux/s390x" -- "$cur"))
		return ;;
	-C|--directory)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	-o|--output|--json|-j|--report|--ci-config|--dockerfile|--dockerignore|--from-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--context)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--layer|--layer-a|--layer-b|--from|--base-layers|--top|--jobs|--timeout|--max-layer-bytes|--cache-size|--image|--tag|--lowestEfficiency|--highestWastedBytes|--highestUserWastedPercent|--highestReclaimableBytes|--highestReclaimablePercent|--highestAdviceSavings|--repo|--shard)
		return ;;
	esac

	case $cmd in
	"") opts="--ci --ci-config --ci-format --json --report --top --base-layers --lowestEfficiency --highestWastedBytes --highestUserWastedPercent --highestReclaimableBytes --highestReclaimablePercent --highestAdviceSavings --onbuild --version $_fathom_source_opts" ;;
	files) opts="--layer --changes --format $_fathom_source_opts" ;;
	history) opts="--no-trunc --format $_fathom_source_opts" ;;
	advise) opts="--dockerfile --context --top --base-layers --format $_fathom_source_opts" ;;
	inspect) opts="--format $_fathom_source_opts" ;;
	diff) opts="--files --layer-a --layer-b --format $_fathom_source_opts" ;;
	report) opts="--output --top --base-layers $_fathom_source_opts" ;;
	squash) opts="--output --from --keep-base --base-layers --tag --format --compress $_fathom_source_opts" ;;
	extract) opts="--directory --layer --force $_fathom_source_opts" ;;
	fix) opts="--dockerfile --output --dockerignore --context --verify --engine --base-layers --format $_fathom_source_opts" ;;
	build) opts="--engine --help" ;;	# the rest is the builder's
	scan) opts="--from-file --repo --tag --format --output --sort --reverse --top --jobs --shard --merge --ci --ci-config --lowestEfficiency --highestWastedBytes --highestUserWastedPercent --highestReclaimableBytes --highestReclaimablePercent --highestAdviceSavings --onbuild --base-layers $_fathom_source_opts" ;;
	cache)
		if [[ $cur != -* ]]; then
			COMPREPLY=($(compgen -W "list prune clear" -- "$cur"))
			return
		fi
		opts="--format $_fathom_source_opts" ;;
	help)
		COMPREPLY=($(compgen -W "files history advise inspect diff report squash extract fix build scan cache" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "files history advise inspect diff report squash extract fix build scan cache help" -- "$cur"))
	fi
	# images: archives, OCI layout directories, the engine and registry schemes
	local IFS=$'\n'
	COMPREPLY+=($(compgen -f -X '!*.tar' -- "$cur") $(compgen -f -X '!*.tar.gz' -- "$cur")
		$(compgen -f -X '!*.tgz' -- "$cur") $(compgen -d -- "$cur"))
	case $cur in
	d*|p*|r*|o*) COMPREPLY+=($(compgen -W "docker:// podman:// registry:// oci:// oci-archive:// docker-archive://" -- "$cur")) ;;
	esac
	[ ${#COMPREPLY[@]} -gt 0 ] && compopt -o filenames 2>/dev/null
	return 0
}
complete -F _fathom fathom
