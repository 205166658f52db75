<?php
/**
 * The `wp workos …` commands for sites without WP-CLI, from the site's
 * directory (the one holding wp-content):
 *
 *   php wp-content/plugins/workos/bin/workos.php [--path=/path/to/wordpress] [--url=https://your-site] status
 *   php wp-content/plugins/workos/bin/workos.php help
 *
 * WordPress is found from --path (the directory holding wp-load.php), else
 * walking up from here, else Debian's /usr/share/wordpress; --url names the
 * site as WP-CLI's does (multisite, Debian's per-host configs); see
 * Cli\Locator. WORKOS_WP_LOAD may name another file that loads WordPress
 * (tests use it).
 * Exit status: 0 done, 1 the command failed or its input was wrong, 2
 * WordPress could not be found or loaded.
 *
 * @package WorkOS_WP
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 2 );
}

$workos_cli_words = array();
$workos_cli_assoc = array();
foreach ( array_slice( $argv, 1 ) as $workos_cli_arg ) {
	if ( preg_match( '/^--([a-z][a-z0-9_-]*)(?:=(.*))?$/s', $workos_cli_arg, $workos_cli_m ) ) {
		$workos_cli_assoc[ $workos_cli_m[1] ] = $workos_cli_m[2] ?? true;
	} elseif ( '-h' === $workos_cli_arg ) {
		$workos_cli_assoc['help'] = true;
	} else {
		$workos_cli_words[] = $workos_cli_arg;
	}
}

require_once dirname( __DIR__ ) . '/src/Cli/Locator.php';

$workos_cli_fail = static function ( string $message ): void {
	fwrite( STDERR, 'Error: ' . $message . "\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	exit( 2 );
};
$workos_cli_cwd  = (string) getcwd();
if ( isset( $workos_cli_assoc['url'] ) ) {
	$workos_cli_error = \WorkOS_WP\Cli\Locator::request_url( (string) $workos_cli_assoc['url'] );
	if ( '' !== $workos_cli_error ) {
		$workos_cli_fail( $workos_cli_error );
	}
}
$workos_cli_loader = getenv( 'WORKOS_WP_LOAD' ) ?: '';
if ( '' === $workos_cli_loader ) {
	$workos_cli_error  = '';
	$workos_cli_loader = \WorkOS_WP\Cli\Locator::wp_load( isset( $workos_cli_assoc['path'] ) ? (string) $workos_cli_assoc['path'] : null, (string) $argv[0], $workos_cli_cwd, $workos_cli_error );
	if ( '' === $workos_cli_loader ) {
		$workos_cli_fail( $workos_cli_error );
	}
	$workos_cli_error = \WorkOS_WP\Cli\Locator::debian_config( dirname( $workos_cli_loader ), (string) $argv[0], $workos_cli_cwd );
	if ( '' !== $workos_cli_error ) {
		$workos_cli_fail( $workos_cli_error );
	}
} elseif ( ! is_file( $workos_cli_loader ) ) {
	$workos_cli_fail( "WORKOS_WP_LOAD=$workos_cli_loader is not a file." );
}
unset( $workos_cli_assoc['path'], $workos_cli_assoc['url'] );
// WordPress defines its globals at file scope.
require $workos_cli_loader;

if ( ! class_exists( \WorkOS_WP\Cli\Commands::class ) ) {
	$workos_cli_fail( 'the WorkOS plugin is not active on this site (wp-admin > Plugins).' );
}
// Progress of bulk sync on standard error, so standard output stays parseable.
\WorkOS_WP\Cli\Sync::$progress = static function ( int $done, int $total ) {
	fwrite( STDERR, sprintf( "\rSyncing %d/%d", $done, $total ) . ( $done >= $total ? "\n" : '' ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions
};
try {
	$workos_cli_result = \WorkOS_WP\Cli\Commands::run( $workos_cli_words, $workos_cli_assoc );
	echo \WorkOS_WP\Cli\Output::render( $workos_cli_result, (string) ( $workos_cli_assoc['format'] ?? 'table' ) ); // phpcs:ignore WordPress.Security.EscapeOutput
	exit( 0 );
} catch ( \WorkOS_WP\Cli\CommandError $workos_cli_error ) {
	echo $workos_cli_error->help; // phpcs:ignore WordPress.Security.EscapeOutput
	fwrite( STDERR, 'Error: ' . $workos_cli_error->getMessage() . "\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	exit( 1 );
}
