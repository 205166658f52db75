<?php
/**
 * The `wp workos …` commands for sites without WP-CLI:
 *
 *   php wp-content/plugins/workos/bin/workos.php [--path=/path/to/wordpress] status
 *   php …/bin/workos.php user list --unlinked --format=json
 *
 * WordPress is found from --path (the directory holding wp-load.php), else by walking up from
 * this plugin. WORKOS_WP_LOAD may name another file that loads WordPress (tests use it).
 * Exit status: 0 done, 1 the command failed, 2 WordPress could not be loaded.
 *
 * @package WorkOS_WP
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 2 );
}

$workos_cli_words = array();
$workos_cli_assoc = array();
foreach ( array_slice( $argv, 1 ) as $workos_cli_arg ) {
	if ( preg_match( '/^--([a-z][a-z0-9-]*)(?:=(.*))?$/s', $workos_cli_arg, $workos_cli_m ) ) {
		$workos_cli_assoc[ $workos_cli_m[1] ] = $workos_cli_m[2] ?? true;
	} else {
		$workos_cli_words[] = $workos_cli_arg;
	}
}

$workos_cli_loader = getenv( 'WORKOS_WP_LOAD' ) ?: '';
if ( '' === $workos_cli_loader ) {
	$workos_cli_dir = isset( $workos_cli_assoc['path'] ) ? rtrim( (string) $workos_cli_assoc['path'], '/' ) : dirname( __DIR__, 4 );
	$workos_cli_loader = $workos_cli_dir . '/wp-load.php';
}
unset( $workos_cli_assoc['path'] );
if ( ! is_file( $workos_cli_loader ) ) {
	fwrite( STDERR, "Error: WordPress not found at $workos_cli_loader (use --path=/path/to/wordpress)\n" );
	exit( 2 );
}
// WordPress defines its globals at file scope.
require $workos_cli_loader;

if ( ! class_exists( \WorkOS_WP\Cli\Commands::class ) ) {
	fwrite( STDERR, "Error: the WorkOS plugin is not active on this site.\n" );
	exit( 2 );
}
// Progress of bulk sync on standard error, so standard output stays parseable.
\WorkOS_WP\Cli\Sync::$progress = static function ( int $done, int $total ) {
	fwrite( STDERR, sprintf( "\rSyncing %d/%d", $done, $total ) . ( $done >= $total ? "\n" : '' ) );
};
try {
	$workos_cli_result = \WorkOS_WP\Cli\Commands::run( $workos_cli_words, $workos_cli_assoc );
	echo \WorkOS_WP\Cli\Output::render( $workos_cli_result, (string) ( $workos_cli_assoc['format'] ?? 'table' ) ); // phpcs:ignore WordPress.Security.EscapeOutput
	exit( 0 );
} catch ( \WorkOS_WP\Cli\CommandError $workos_cli_error ) {
	fwrite( STDERR, 'Error: ' . $workos_cli_error->getMessage() . "\n" );
	exit( 1 );
}
