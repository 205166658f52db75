<?php
/**
 * Router for PHP's built-in server (`php -S … -t /usr/share/wordpress tests/wp/router.php`): the
 * stack's "no-extension" server. It serves the same WordPress and database as the instance named
 * by WORKOS_STACK_INSTANCE ("test" by default), without loading the workos extension.
 *
 * Static files under the WordPress root are left to the built-in server; /wp-content/ comes from
 * the instance's content directory; .php files run as themselves; everything else goes to
 * index.php (pretty permalinks). Runs at file scope because WordPress needs its globals there.
 */

$workos_router_instance = getenv( 'WORKOS_STACK_INSTANCE' ) ?: 'test';
$workos_router_root     = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
$workos_router_content  = dirname( __DIR__, 2 ) . '/.run/' . $workos_router_instance . '/wp-content';
$workos_router_path     = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
$workos_router_script   = null;
$workos_router_name     = null;

if ( '' === $workos_router_path || '/' !== $workos_router_path[0] || preg_match( '#(^|/)\.\.(/|$)#', $workos_router_path ) ) {
	http_response_code( 400 );
	return true;
}

if ( str_starts_with( $workos_router_path, '/wp-content/' ) ) {
	$workos_router_file = $workos_router_content . substr( $workos_router_path, strlen( '/wp-content' ) );
	if ( is_file( $workos_router_file ) ) {
		if ( str_ends_with( $workos_router_file, '.php' ) ) {
			$workos_router_script = $workos_router_file;
			$workos_router_name   = $workos_router_path;
		} else {
			$workos_router_types = array(
				'css'   => 'text/css',
				'js'    => 'text/javascript',
				'json'  => 'application/json',
				'map'   => 'application/json',
				'svg'   => 'image/svg+xml',
				'png'   => 'image/png',
				'jpg'   => 'image/jpeg',
				'jpeg'  => 'image/jpeg',
				'gif'   => 'image/gif',
				'webp'  => 'image/webp',
				'ico'   => 'image/x-icon',
				'woff'  => 'font/woff',
				'woff2' => 'font/woff2',
				'ttf'   => 'font/ttf',
				'txt'   => 'text/plain',
				'html'  => 'text/html',
			);
			$workos_router_ext   = strtolower( pathinfo( $workos_router_file, PATHINFO_EXTENSION ) );
			header( 'Content-Type: ' . ( $workos_router_types[ $workos_router_ext ] ?? ( mime_content_type( $workos_router_file ) ?: 'application/octet-stream' ) ) );
			header( 'Content-Length: ' . filesize( $workos_router_file ) );
			readfile( $workos_router_file );
			return true;
		}
	}
} else {
	$workos_router_file = $workos_router_root . $workos_router_path;
	if ( is_dir( $workos_router_file ) ) {
		if ( ! str_ends_with( $workos_router_path, '/' ) ) {
			$workos_router_query = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_QUERY );
			header( 'Location: ' . $workos_router_path . '/' . ( $workos_router_query ? '?' . $workos_router_query : '' ), true, 301 );
			return true;
		}
		$workos_router_file .= 'index.php';
		$workos_router_path .= 'index.php';
	}
	if ( is_file( $workos_router_file ) ) {
		if ( ! str_ends_with( $workos_router_file, '.php' ) ) {
			return false; // a static file of WordPress: the built-in server sends it
		}
		$workos_router_script = $workos_router_file;
		$workos_router_name   = $workos_router_path;
	}
}

if ( null === $workos_router_script ) {
	$workos_router_script = $workos_router_root . '/index.php';
	$workos_router_name   = '/index.php';
}

$_SERVER['WORDPRESS_CONFIG'] = 'workos' . $workos_router_instance;
$_SERVER['SCRIPT_FILENAME']  = $workos_router_script;
$_SERVER['SCRIPT_NAME']      = $workos_router_name;
$_SERVER['PHP_SELF']         = $workos_router_name;
unset( $_SERVER['PATH_INFO'], $_SERVER['ORIG_PATH_INFO'] );
chdir( dirname( $workos_router_script ) );

unset( $workos_router_instance, $workos_router_root, $workos_router_content, $workos_router_path, $workos_router_name, $workos_router_file, $workos_router_types, $workos_router_ext, $workos_router_query );

require $workos_router_script;
