<?php
/**
 * Loads the stack's WordPress into a command-line PHP script.
 *
 * The instance comes from the WORKOS_STACK_INSTANCE environment variable ("test" by default); its
 * URL from WP_URL or else from .run/<instance>/env.json (written by scripts/stack.sh). Debian's
 * wp-config.php then picks /etc/wordpress/config-workos<instance>.php through WORDPRESS_CONFIG.
 *
 * Require this file at file scope (not inside a function): WordPress defines its globals there.
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$workos_stack_instance = getenv( 'WORKOS_STACK_INSTANCE' ) ?: 'test';
if ( ! preg_match( '/^[a-z0-9]+$/', $workos_stack_instance ) ) {
	fwrite( STDERR, "bootstrap.php: bad WORKOS_STACK_INSTANCE\n" );
	exit( 2 );
}

$workos_stack_url = getenv( 'WP_URL' ) ?: '';
if ( '' === $workos_stack_url ) {
	$workos_stack_env_file = dirname( __DIR__, 2 ) . '/.run/' . $workos_stack_instance . '/env.json';
	$workos_stack_env      = is_file( $workos_stack_env_file )
		? json_decode( (string) file_get_contents( $workos_stack_env_file ), true )
		: null;
	if ( ! is_array( $workos_stack_env ) || empty( $workos_stack_env['WP_URL'] ) ) {
		fwrite( STDERR, "bootstrap.php: $workos_stack_env_file not found: run scripts/stack.sh up $workos_stack_instance\n" );
		exit( 2 );
	}
	$workos_stack_url = $workos_stack_env['WP_URL'];
}

$workos_stack_parts = parse_url( $workos_stack_url );
$workos_stack_https = isset( $workos_stack_parts['scheme'] ) && 'https' === $workos_stack_parts['scheme'];
$workos_stack_port  = $workos_stack_parts['port'] ?? ( $workos_stack_https ? 443 : 80 );
$workos_stack_host  = ( $workos_stack_parts['host'] ?? '127.0.0.1' )
	. ( isset( $workos_stack_parts['port'] ) ? ':' . $workos_stack_parts['port'] : '' );

$_SERVER['WORDPRESS_CONFIG'] = 'workos' . $workos_stack_instance;
$_SERVER['HTTP_HOST']        = $workos_stack_host;
$_SERVER['SERVER_NAME']      = $workos_stack_parts['host'] ?? '127.0.0.1';
$_SERVER['SERVER_PORT']      = (string) $workos_stack_port;
$_SERVER['SERVER_PROTOCOL']  = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']   = 'GET';
$_SERVER['REQUEST_URI']      = '/';
$_SERVER['REMOTE_ADDR']      = '127.0.0.1';
$_SERVER['HTTP_USER_AGENT']  = 'workos-stack-cli';
if ( $workos_stack_https ) {
	$_SERVER['HTTPS'] = 'on';
}

unset( $workos_stack_url, $workos_stack_env_file, $workos_stack_env, $workos_stack_parts, $workos_stack_https, $workos_stack_port, $workos_stack_host );

require_once sprintf( '%s/wp-load.php', getenv( 'WP_ROOT' ) ?: '/usr/share/wordpress' );
