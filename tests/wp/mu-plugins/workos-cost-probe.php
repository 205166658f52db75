<?php
/**
 * Test-only probe (loaded by the test instance only): when a request carries
 * `X-WorkOS-Probe: 1`, the response gets a header telling which of the
 * plugin's files PHP loaded and whether any plugin class was used. The tests
 * use it to hold the plugin to its budget on ordinary page views.
 */

if ( isset( $_SERVER['HTTP_X_WORKOS_PROBE'] ) ) {
	// The plugin's start-up cost: the time from the end of mu-plugins to the
	// end of plugin loading, with the plugin and (X-WorkOS-Probe-Off: 1)
	// without it — the difference is what the plugin adds (make bench).
	if ( isset( $_SERVER['HTTP_X_WORKOS_PROBE_OFF'] ) ) {
		add_filter(
			'option_active_plugins',
			static fn( $plugins ) => array_values( array_diff( (array) $plugins, array( 'workos/workos.php' ) ) )
		);
	}
	// Every option read through get_option() (each one runs its filters and
	// unserializes the value), counted by name when X-WorkOS-Probe-Options: 1
	// (so make bench's timings do not pay for the counting): the plugin must
	// not add any to a page view (test_page_cost.py compares on and off).
	$GLOBALS['workos_probe_options'] = array();
	if ( isset( $_SERVER['HTTP_X_WORKOS_PROBE_OPTIONS'] ) ) {
		add_filter(
			'pre_option',
			static function ( $pre, $option ) {
				$GLOBALS['workos_probe_options'][ $option ] = ( $GLOBALS['workos_probe_options'][ $option ] ?? 0 ) + 1;
				return $pre;
			},
			10,
			2
		);
	}
	add_action(
		'muplugins_loaded',
		static function () {
			$GLOBALS['workos_probe_t0'] = hrtime( true );
		},
		PHP_INT_MAX
	);
	add_action(
		'plugins_loaded',
		static function () {
			$GLOBALS['workos_probe_load_us'] = ( hrtime( true ) - $GLOBALS['workos_probe_t0'] ) / 1000;
		},
		PHP_INT_MIN
	);
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
			// workos.php's own part: the global helpers it always requires (issue 13;
			// PHP cannot autoload functions). Reported apart, so `files` stays "what
			// else was loaded"; test_page_cost.py holds the helpers to their budget.
			$bootstrap = array( 'includes/functions.php' );
			$helpers   = array_values( array_intersect( $files, $bootstrap ) );
			$files     = array_values( array_diff( $files, $bootstrap ) );
			$classes = array_values( array_filter( get_declared_classes(), static fn( $c ) => 0 === strpos( $c, 'WorkOS_WP\\' ) ) );
			$report = array(
				'files'   => $files,
				'helpers' => $helpers,
				'classes' => $classes,
				'load_us' => $GLOBALS['workos_probe_load_us'] ?? null,
				'queries' => get_num_queries(),
				'options' => $GLOBALS['workos_probe_options'],
			);
			echo '<!-- workos-probe ' . wp_json_encode( $report ) . ' -->';
		},
		PHP_INT_MAX
	);
}
