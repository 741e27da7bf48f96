# bash completion for spotless(1); installed as
# /usr/share/bash-completion/completions/spotless.
_spotless()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "send info echo stats batch post watch call bench
			install start stop remove status --device --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	case "$cmd:$prev" in
	echo:--method)
		COMPREPLY=($(compgen -W "buffered in_direct out_direct neither all" -- "$cur"))
		return ;;
	bench:--only)
		COMPREPLY=($(compgen -W "latency bulk batch threads events exchange peer" -- "$cur"))
		return ;;
	bench:--csv | bench:--peer-device | batch:* | install:*)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	case "$cmd" in
	echo) COMPREPLY=($(compgen -W "--method --size --seed --help" -- "$cur")) ;;
	watch) COMPREPLY=($(compgen -W "--json --count --timeout --help" -- "$cur")) ;;
	stats) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	call) COMPREPLY=($(compgen -W "message info stats echo_buffered batch post --out --help" -- "$cur")) ;;
	bench) COMPREPLY=($(compgen -W "--csv --reps --ms --only --peer-device --help" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
	esac
}
complete -F _spotless spotless
