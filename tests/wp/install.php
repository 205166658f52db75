<?php
/**
 * Installs and configures the stack's WordPress without WP-CLI. Run by scripts/stack.sh in three
 * separate processes, because each step needs WordPress loaded differently:
 *
 *   install.php install    install WordPress if it is not installed yet (WP_INSTALLING)
 *   install.php configure  keep the admin password, write the plugin's settings, activate it
 *   install.php finish     flush rewrite rules with the active plugin loaded
 *
 * Input from the environment: WORKOS_STACK_INSTANCE, WORKOS_ADMIN_PASSWORD,
 * WORKOS_STACK_SETTINGS (JSON object merged into the workos_settings option),
 * WORKOS_PLUGIN_FILE (the plugin's main file; activation is skipped when it does not exist).
 * Prints one line saying what it did. Nothing is changed when there is nothing to do.
 */

$workos_install_step = $argv[1] ?? 'install';

if ( 'install' === $workos_install_step ) {
	define( 'WP_INSTALLING', true );
	/**
	 * No mail from the installer: this overrides the pluggable function before WordPress loads it.
	 *
	 * @param string $blog_title Site title.
	 * @param string $blog_url   Site URL.
	 * @param int    $user_id    Administrator.
	 * @param string $password   Administrator's password.
	 */
	function wp_new_blog_notification( $blog_title, $blog_url, $user_id, $password ) {}
}

require __DIR__ . '/bootstrap.php';

/** @var string[] what this run changed */
$workos_install_done = array();

switch ( $workos_install_step ) {
	case 'install':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		if ( is_blog_installed() ) {
			echo "installed already\n";
			break;
		}
		$workos_install_password = getenv( 'WORKOS_ADMIN_PASSWORD' );
		if ( ! $workos_install_password ) {
			fwrite( STDERR, "install.php: WORKOS_ADMIN_PASSWORD is not set\n" );
			exit( 2 );
		}
		$workos_install_result = wp_install(
			'WorkOS for WordPress (' . WORKOS_STACK_INSTANCE . ')',
			'admin',
			'admin@example.com',
			true,
			'',
			wp_slash( $workos_install_password )
		);
		if ( empty( $workos_install_result['user_id'] ) ) {
			fwrite( STDERR, "install.php: wp_install() failed\n" );
			exit( 1 );
		}
		if ( wp_get_theme( 'twentytwentythree' )->exists() && 'twentytwentythree' !== get_stylesheet() ) {
			switch_theme( 'twentytwentythree' );
		}
		global $wp_rewrite;
		$wp_rewrite->set_permalink_structure( '/%postname%/' );
		flush_rewrite_rules( false );
		echo 'installed WordPress ' . get_bloginfo( 'version' ) . ' (' . WORKOS_STACK_INSTANCE . "), admin user 'admin'\n";
		break;

	case 'configure':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';

		// The admin password in .run/<instance>/admin-password is the one that works.
		$workos_install_password = getenv( 'WORKOS_ADMIN_PASSWORD' );
		$workos_install_admin    = get_user_by( 'login', 'admin' );
		if ( $workos_install_password && $workos_install_admin
			&& ! wp_check_password( $workos_install_password, $workos_install_admin->user_pass, $workos_install_admin->ID ) ) {
			wp_set_password( $workos_install_password, $workos_install_admin->ID );
			$workos_install_done[] = 'admin password reset';
		}

		if ( '/%postname%/' !== get_option( 'permalink_structure' ) ) {
			global $wp_rewrite;
			$wp_rewrite->set_permalink_structure( '/%postname%/' );
			$workos_install_done[] = 'permalinks set';
		}

		$workos_install_settings = json_decode( (string) getenv( 'WORKOS_STACK_SETTINGS' ), true );
		if ( is_array( $workos_install_settings ) ) {
			$workos_install_current = get_option( 'workos_settings', array() );
			$workos_install_current = is_array( $workos_install_current ) ? $workos_install_current : array();
			$workos_install_merged  = array_merge( $workos_install_current, $workos_install_settings );
			if ( $workos_install_merged !== $workos_install_current ) {
				update_option( 'workos_settings', $workos_install_merged );
				$workos_install_done[] = 'workos_settings written';
			}
		}

		$workos_install_plugin_file = getenv( 'WORKOS_PLUGIN_FILE' );
		if ( $workos_install_plugin_file && is_file( $workos_install_plugin_file ) ) {
			if ( ! is_plugin_active( 'workos/workos.php' ) ) {
				wp_cache_delete( 'plugins', 'plugins' );
				$workos_install_error = activate_plugin( 'workos/workos.php' );
				if ( is_wp_error( $workos_install_error ) ) {
					fwrite( STDERR, 'install.php: activating workos/workos.php failed: ' . $workos_install_error->get_error_message() . "\n" );
					exit( 1 );
				}
				$workos_install_done[] = 'plugin workos/workos.php activated';
			}
		} else {
			$workos_install_done[] = 'plugin not present (php-shim/workos.php missing), not activated';
		}
		if ( function_exists( 'workos_test_probe_create_table' ) ) {
			workos_test_probe_create_table(); // Test instances' webhook probe (mu-plugin).
		}
		echo ( $workos_install_done ? implode( ', ', $workos_install_done ) : 'configured already' ), "\n";
		break;

	case 'finish':
		// Runs with the active plugins loaded, so their rewrite rules are included. stack.sh only
		// runs this step when WordPress, the plugin's activation or the plugin's files changed.
		flush_rewrite_rules( false );
		echo "rewrite rules flushed\n";
		break;

	default:
		fwrite( STDERR, "usage: install.php install|configure|finish\n" );
		exit( 2 );
}
