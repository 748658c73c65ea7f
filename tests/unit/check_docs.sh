#!/bin/bash
# shellcheck disable=SC2086,SC2048 # word lists are split on purpose
# The synopses agree: every command and every option the tool's --help
# gives (per command: `dmcombine COMMAND --help`) appear, for the same
# command, in README's synopsis, in the man page's SYNOPSIS, COMMANDS and
# OPTIONS, and in the bash completion; and none of those has a command or
# an option the tool lacks. Everything is read from the files themselves,
# so a new command or option needs no change here.
#   check_docs.sh [TOOL]   (default: ../../userspace/dmcombine)
set -eu
cd "$(dirname "$0")"
top=../..
tool=${1:-$top/userspace/dmcombine}
readme=$top/README
man=$top/userspace/dmcombine.8
completion=$top/userspace/dmcombine.bash-completion
failed=0

fail() {
	echo "check_docs: FAIL: $*" >&2
	failed=1
}

# options TEXT...: the long options in TEXT ("--[no-]X" is --X and
# --no-X), sorted, one line.
options() {
	printf '%s\n' "$*" | sed 's/--\[no-\]\([a-z-]*\)/--\1 --no-\1/g' |
		grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# compare WHAT EXPECTED GOT: one failure line when they differ.
compare() {
	[ "$2" = "$3" ] || fail "$1: --help says [$2], found [$3]"
}

# ---- the tool: commands from --help, each one's options from its own usage line ----
help=$("$tool" --help)
commands=$(printf '%s\n' "$help" | sed -n '/^Commands:$/,/^$/{/^  [a-z]/p}' | awk '{ print $1 }')
[ -n "$commands" ] || { echo "check_docs: no commands in $tool --help" >&2; exit 1; }
declare -A help_options
for command in $commands; do
	help_options[$command]=$(options "$("$tool" "$command" --help | head -n 1)")
done
# Global options: long names, and short ones mapped to them ("-q, --quiet").
global_help=$(printf '%s\n' "$help" | sed -n '/^Options:$/,/^$/p')
global=$(options "$(printf '%s\n' "$global_help" | sed -n 's/^ *\(-[a-z], \)\{0,1\}\(--[a-z-]*\).*/\2/p')")
declare -A long_of
while read -r short long; do
	long_of[$short]=$long
done < <(printf '%s\n' "$global_help" | sed -n 's/^ *\(-[a-z]\), \(--[a-z-]*\).*/\1 \2/p')

# ---- README: the indented block of "dmcombine COMMAND ..." lines ----
declare -A readme_options
readme_commands=""
command=""
while IFS= read -r line; do
	line=${line%%#*}
	if [[ $line =~ ^\ {4}dmcombine\ ([a-z]+)(.*)$ ]]; then
		command=${BASH_REMATCH[1]}
		readme_commands+="$command "
		readme_options[$command]+=" ${BASH_REMATCH[2]}"
	elif [[ $line =~ ^\ {4}global\ options:(.*)$ ]]; then
		readme_global=${BASH_REMATCH[1]}
		command=""
	elif [[ -n $command && $line =~ ^\ {5,}[^\ ] ]]; then
		readme_options[$command]+=" $line"
	else
		command=""
	fi
done < <(sed -n '/^Root.s everyday command/,/^[A-Z][a-z]* is /p' "$readme")

# ---- man page: SYNOPSIS entries between .br, COMMANDS' .TP heads, OPTIONS ----
# section NAME: the man page's section NAME, troff escapes for - removed.
section() {
	sed -n "/^\.SH $1\$/,/^\.SH /p" "$man" | sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\&//g'
}
declare -A man_options
man_commands=""
while IFS= read -r entry; do
	set -- $entry
	while [ $# -gt 0 ] && [[ $1 == dmcombine || $1 == \[* || $1 == OPTIONS* || $1 == .* ]]; do
		shift
	done
	[ $# -gt 0 ] || continue
	man_commands+="$1 "
	man_options[$1]+=" $entry"
done < <(section SYNOPSIS | grep -v '^\.SH' | tr '\n' ' ' | sed 's/\.br/\n/g'; echo)
man_heads=$(section COMMANDS | sed -n '/^\.TP$/{n;s/^\.B \([a-z][a-z]*\).*/\1/p}' | sort -u)
man_option_list=$(options "$(section OPTIONS | grep '^\.B')")

# ---- completion: the verbs, each verb's options, the global ones ----
completion_verbs=$(sed -n "/-z \$verb/,/^\tfi$/s/.*compgen -W '\([a-z ]*\)'.*/\1/p" "$completion")
completion_global=$(options "$(sed -n "s/^\tlocal global='\(.*\)'$/\1/p" "$completion")")
declare -A completion_options
while IFS= read -r line; do
	patterns=${line%%)*}
	for verb in ${patterns//|/ }; do
		completion_options[$verb]+=" ${line#*)}"
	done
done < <(sed -n "/^\tcase \$verb in$/,/^\tesac$/{/options+=/p}" "$completion" | sed 's/^\t*//')

# ---- the comparisons ----
sorted() {
	printf '%s\n' $* | sort -u | tr '\n' ' ' | sed 's/ $//'
}
want=$(sorted $commands)
compare "README's commands" "$want" "$(sorted $readme_commands)"
compare "the man page's SYNOPSIS commands" "$want" "$(sorted $man_commands)"
compare "the man page's COMMANDS" "$want" "$(sorted $man_heads)"
compare "the completion's commands" "$want" "$(sorted $completion_verbs)"
for command in $commands; do
	want=${help_options[$command]}
	compare "README's $command" "$want" "$(options "${readme_options[$command]:-}")"
	compare "the man page's SYNOPSIS of $command" "$want" "$(options "${man_options[$command]:-}")"
	compare "the completion's $command" "$want" "$(options "${completion_options[$command]:-}")"
	for option in $want; do
		[[ " $man_option_list " == *" $option "* ]] ||
			fail "the man page's OPTIONS lack $option ($command)"
	done
done
readme_long=""
for word in ${readme_global:-}; do
	word=${word%,}
	readme_long+=" ${long_of[$word]:-$word}"
done
compare "README's global options" "$global" "$(options "$readme_long")"
compare "the completion's global options" "$global" "$completion_global"
for option in $global; do
	[[ " $man_option_list " == *" $option "* ]] || fail "the man page's OPTIONS lack $option"
done

if [ "$failed" = 0 ]; then
	echo "check_docs: $(echo $commands | wc -w) commands and their options agree in --help, README, dmcombine.8 and the completion: PASS"
fi
exit "$failed"
