<?php
/**
 * Test-only probe (loaded by the test instance only): when a request carries
 * `X-WorkOS-Probe: 1`, the response gets a header telling which of the
 * plugin's files PHP loaded and whether any plugin class was used. The tests
 * use it to hold the plugin to its budget on ordinary page views.
 */

if ( isset( $_SERVER['HTTP_X_WORKOS_PROBE'] ) ) {
	add_action(
		'wp_footer',
		static function () {
			$shim  = realpath( WP_CONTENT_DIR . '/plugins/workos' );
			$files = array_values(
				array_filter(
					array_map( 'realpath', get_included_files() ),
					static fn( $f ) => $shim && 0 === strpos( (string) $f, $shim . '/' )
				)
			);
			$files = array_map( static fn( $f ) => substr( $f, strlen( $shim ) + 1 ), $files );
			$classes = array_values( array_filter( get_declared_classes(), static fn( $c ) => 0 === strpos( $c, 'WorkOS_WP\\' ) ) );
			echo '<!-- workos-probe ' . wp_json_encode( array( 'files' => $files, 'classes' => $classes ) ) . ' -->';
		},
		PHP_INT_MAX
	);
}
