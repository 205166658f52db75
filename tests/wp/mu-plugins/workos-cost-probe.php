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
	} elseif ( isset( $_SERVER['HTTP_X_WORKOS_PROBE_PLUGIN'] ) && preg_match( '/^workos-[a-z0-9-]+$/', $_SERVER['HTTP_X_WORKOS_PROBE_PLUGIN'] ) ) {
		// Another copy of the plugin in its place (tests/bench/page_view_ab.py: an
		// earlier revision beside the working tree, requests interleaved).
		$workos_probe_variant = $_SERVER['HTTP_X_WORKOS_PROBE_PLUGIN'] . '/workos.php';
		add_filter(
			'option_active_plugins',
			static fn( $plugins ) => array_values( array_map( static fn( $p ) => 'workos/workos.php' === $p ? $workos_probe_variant : $p, (array) $plugins ) )
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
			$GLOBALS['workos_probe_cpu0'] = getrusage();
			$GLOBALS['workos_probe_t0']   = hrtime( true );
		},
		PHP_INT_MAX
	);
	add_action(
		'plugins_loaded',
		static function () {
			$GLOBALS['workos_probe_load_us'] = ( hrtime( true ) - $GLOBALS['workos_probe_t0'] ) / 1000;
			// The same window in CPU time (user + system): what a busy machine's
			// preemption adds to the wall-clock figure is left out.
			$cpu = static fn( $r ) => $r['ru_utime.tv_sec'] * 1e6 + $r['ru_utime.tv_usec'] + $r['ru_stime.tv_sec'] * 1e6 + $r['ru_stime.tv_usec'];
			$GLOBALS['workos_probe_cpu_us'] = $cpu( getrusage() ) - $cpu( $GLOBALS['workos_probe_cpu0'] );
			// X-WorkOS-Probe-Quick: only the start-up window is wanted, so the
			// request ends here (a few ms instead of a whole themed page: many
			// more samples in the same minutes).
			if ( isset( $_SERVER['HTTP_X_WORKOS_PROBE_QUICK'] ) ) {
				$shim = realpath( WP_CONTENT_DIR . '/plugins/workos' );
				echo '<!-- workos-probe ' . json_encode( // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode -- before WordPress's functions are all loaded.
					array(
						'load_us' => $GLOBALS['workos_probe_load_us'],
						'cpu_us'  => $GLOBALS['workos_probe_cpu_us'],
						'queries' => $GLOBALS['wpdb']->num_queries,
						'files'   => count( array_filter( get_included_files(), static fn( $f ) => $shim && 0 === strpos( (string) realpath( $f ), $shim . '/' ) ) ),
					)
				) . ' -->';
				exit;
			}
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
			$classes = array_values( array_filter( get_declared_classes(), static fn( $c ) => 0 === strpos( $c, 'WorkOS_WP\\' ) ) );
			// How many of the plugin's callbacks each hook holds (what add_hooks() registered for this request).
			$hooks = array();
			foreach ( $GLOBALS['wp_filter'] as $name => $hook ) {
				foreach ( $hook->callbacks as $callbacks ) {
					foreach ( $callbacks as $cb ) {
						$f = $cb['function'];
						$n = is_array( $f ) ? ( is_string( $f[0] ) ? $f[0] : get_class( $f[0] ) ) : ( is_string( $f ) ? $f : '' );
						if ( 0 === strpos( $n, 'WorkOS_WP\\' ) ) {
							$hooks[ $name ] = ( $hooks[ $name ] ?? 0 ) + 1;
						}
					}
				}
			}
			$report = array(
				'files'   => $files,
				'classes' => $classes,
				'load_us' => $GLOBALS['workos_probe_load_us'] ?? null,
				'cpu_us'  => $GLOBALS['workos_probe_cpu_us'] ?? null,
				'queries' => get_num_queries(),
				'options' => $GLOBALS['workos_probe_options'],
				'hooks'   => $hooks,
			);
			echo '<!-- workos-probe ' . wp_json_encode( $report ) . ' -->';
		},
		PHP_INT_MAX
	);
}
