<?php
/**
 * Installs and configures the multisite network of a test instance without WP-CLI (run by
 * scripts/stack.sh with WORKOS_STACK_INSTANCE=<instance>ms), in two processes because each
 * step needs WordPress loaded differently:
 *
 *   multisite.php network    install WordPress and turn it into a network (sub-directory
 *                            install), as a single site: before the network tables exist,
 *                            WordPress cannot load as a network
 *   multisite.php configure  as the network: admin password, the plugin network-activated,
 *                            the site /site2/ with its own administrator "siteadmin" (not a
 *                            network admin), the WorkOS settings of the network
 *
 * Input from the environment: WORKOS_STACK_INSTANCE, WORKOS_ADMIN_PASSWORD (also the password
 * of siteadmin), WORKOS_STACK_SETTINGS (JSON object merged into the network's workos_settings).
 * Prints one line saying what it did. Nothing is changed when there is nothing to do.
 */

$workos_ms_step = $argv[1] ?? 'network';

if ( 'network' === $workos_ms_step ) {
	define( 'WORKOS_STACK_SINGLE_SITE', true );
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

$workos_ms_password = (string) getenv( 'WORKOS_ADMIN_PASSWORD' );
if ( '' === $workos_ms_password ) {
	fwrite( STDERR, "multisite.php: WORKOS_ADMIN_PASSWORD is not set\n" );
	exit( 2 );
}
/** @var string[] what this run changed */
$workos_ms_done = array();

switch ( $workos_ms_step ) {
	case 'network':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		if ( ! is_blog_installed() ) {
			$workos_ms_result = wp_install( 'WorkOS network (' . WORKOS_STACK_INSTANCE . ')', 'admin', 'admin@example.com', true, '', wp_slash( $workos_ms_password ) );
			if ( empty( $workos_ms_result['user_id'] ) ) {
				fwrite( STDERR, "multisite.php: wp_install() failed\n" );
				exit( 1 );
			}
			$workos_ms_done[] = 'installed WordPress ' . get_bloginfo( 'version' );
		}
		// The network tables are not known to $wpdb while WordPress runs as a single site.
		foreach ( $wpdb->tables( 'ms_global' ) as $workos_ms_table => $workos_ms_prefixed ) {
			$wpdb->$workos_ms_table = $workos_ms_prefixed;
		}
		$workos_ms_has_network = $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->site ) ) // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- installer check.
			&& $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->site}" ); // phpcs:ignore WordPress.DB
		if ( ! $workos_ms_has_network ) {
			install_network();
			$workos_ms_host   = wp_parse_url( home_url(), PHP_URL_HOST ) . ':' . wp_parse_url( home_url(), PHP_URL_PORT );
			$workos_ms_result = populate_network( 1, $workos_ms_host, 'admin@example.com', 'WorkOS network (' . WORKOS_STACK_INSTANCE . ')', '/', false );
			if ( is_wp_error( $workos_ms_result ) ) {
				fwrite( STDERR, 'multisite.php: populate_network() failed: ' . $workos_ms_result->get_error_message() . "\n" );
				exit( 1 );
			}
			$workos_ms_done[] = 'network created on ' . $workos_ms_host;
		}
		echo ( $workos_ms_done ? implode( ', ', $workos_ms_done ) : 'network installed already' ), "\n";
		break;

	case 'configure':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		require_once ABSPATH . 'wp-admin/includes/ms.php';
		if ( ! is_multisite() ) {
			fwrite( STDERR, "multisite.php: WordPress does not run as a network (MULTISITE)\n" );
			exit( 1 );
		}

		$workos_ms_admin = get_user_by( 'login', 'admin' );
		if ( $workos_ms_admin && ! wp_check_password( $workos_ms_password, $workos_ms_admin->user_pass, $workos_ms_admin->ID ) ) {
			wp_set_password( $workos_ms_password, $workos_ms_admin->ID );
			$workos_ms_done[] = 'admin password reset';
		}

		// Pretty permalinks on every site, so /wp-json/ and /site2/wp-json/ answer.
		foreach ( array( 1, 2 ) as $workos_ms_blog ) {
			if ( ! get_site( $workos_ms_blog ) ) {
				$workos_ms_blog = wp_insert_site(
					array(
						'domain'  => get_network()->domain,
						'path'    => '/site2/',
						'title'   => 'Site 2 (' . WORKOS_STACK_INSTANCE . ')',
						'user_id' => $workos_ms_admin->ID,
					)
				);
				if ( is_wp_error( $workos_ms_blog ) ) {
					fwrite( STDERR, 'multisite.php: creating /site2/ failed: ' . $workos_ms_blog->get_error_message() . "\n" );
					exit( 1 );
				}
				$workos_ms_done[] = 'site /site2/ created';
			}
			// wp_insert_site() drops the ':' of a domain with a port: the sites share the network's.
			$workos_ms_site = get_site( $workos_ms_blog );
			if ( get_network()->domain !== $workos_ms_site->domain ) {
				$wpdb->update( $wpdb->blogs, array( 'domain' => get_network()->domain ), array( 'blog_id' => $workos_ms_blog ) ); // phpcs:ignore WordPress.DB
				clean_blog_cache( $workos_ms_blog );
				$workos_ms_done[] = "domain of site $workos_ms_blog set";
			}
			$workos_ms_url = 'http://' . get_network()->domain . untrailingslashit( $workos_ms_site->path );
			foreach ( array( 'home', 'siteurl' ) as $workos_ms_option ) {
				if ( get_blog_option( $workos_ms_blog, $workos_ms_option ) !== $workos_ms_url ) {
					update_blog_option( $workos_ms_blog, $workos_ms_option, $workos_ms_url );
					$workos_ms_done[] = "$workos_ms_option of site $workos_ms_blog set";
				}
			}
			switch_to_blog( $workos_ms_blog );
			if ( '/%postname%/' !== get_option( 'permalink_structure' ) ) {
				update_option( 'permalink_structure', '/%postname%/' );
				delete_option( 'rewrite_rules' ); // rebuilt on the next request
				$workos_ms_done[] = "permalinks set on site $workos_ms_blog";
			}
			restore_current_blog();
		}

		// The administrator of /site2/ only: a site admin, not a network admin.
		$workos_ms_siteadmin = get_user_by( 'login', 'siteadmin' );
		if ( ! $workos_ms_siteadmin ) {
			$workos_ms_id = wpmu_create_user( 'siteadmin', $workos_ms_password, 'siteadmin@example.com' );
			if ( ! $workos_ms_id ) {
				fwrite( STDERR, "multisite.php: creating siteadmin failed\n" );
				exit( 1 );
			}
			$workos_ms_siteadmin = get_user_by( 'id', $workos_ms_id );
			$workos_ms_done[]    = 'user siteadmin created';
		} elseif ( ! wp_check_password( $workos_ms_password, $workos_ms_siteadmin->user_pass, $workos_ms_siteadmin->ID ) ) {
			wp_set_password( $workos_ms_password, $workos_ms_siteadmin->ID );
		}
		if ( ! is_user_member_of_blog( $workos_ms_siteadmin->ID, 2 ) || ! ( new WP_User( $workos_ms_siteadmin->ID, '', 2 ) )->has_cap( 'manage_options' ) ) {
			add_user_to_blog( 2, $workos_ms_siteadmin->ID, 'administrator' );
			$workos_ms_done[] = 'siteadmin made administrator of /site2/';
		}
		if ( is_user_member_of_blog( $workos_ms_siteadmin->ID, 1 ) ) {
			remove_user_from_blog( $workos_ms_siteadmin->ID, 1 );
		}
		if ( is_super_admin( $workos_ms_siteadmin->ID ) ) {
			revoke_super_admin( $workos_ms_siteadmin->ID );
		}

		if ( ! is_plugin_active_for_network( 'workos/workos.php' ) ) {
			wp_cache_delete( 'plugins', 'plugins' );
			$workos_ms_error = activate_plugin( 'workos/workos.php', '', true );
			if ( is_wp_error( $workos_ms_error ) ) {
				fwrite( STDERR, 'multisite.php: network-activating workos/workos.php failed: ' . $workos_ms_error->get_error_message() . "\n" );
				exit( 1 );
			}
			$workos_ms_done[] = 'plugin network-activated';
		}

		// The credentials are the network's (see WorkOS_WP\Settings\Registry, `network`).
		$workos_ms_settings = json_decode( (string) getenv( 'WORKOS_STACK_SETTINGS' ), true );
		if ( is_array( $workos_ms_settings ) ) {
			$workos_ms_current = get_site_option( 'workos_settings', array() );
			$workos_ms_current = is_array( $workos_ms_current ) ? $workos_ms_current : array();
			$workos_ms_merged  = array_merge( $workos_ms_current, $workos_ms_settings );
			if ( $workos_ms_merged !== $workos_ms_current ) {
				update_site_option( 'workos_settings', $workos_ms_merged );
				$workos_ms_done[] = 'network workos_settings written';
			}
		}
		echo ( $workos_ms_done ? implode( ', ', $workos_ms_done ) : 'network configured already' ), "\n";
		break;

	default:
		fwrite( STDERR, "usage: multisite.php network|configure\n" );
		exit( 2 );
}
