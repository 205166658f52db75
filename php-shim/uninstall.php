<?php
/**
 * Removing the plugin removes everything it wrote: its tables, options,
 * usermeta and scheduled chores. Content and users stay.
 *
 * @package WorkOS_WP
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/workos.php';

global $wpdb;

// Usermeta first: removing link meta updates the link table, which must
// still exist; the tables and the schema version go last.
foreach ( WorkOS_WP\Users\UserMeta::ALL as $workos_meta_key ) {
	delete_metadata( 'user', 0, $workos_meta_key, '', true );
}
// Passkeys: one row per credential, keyed by its id (see Passkeys\Store).
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->usermeta} WHERE meta_key LIKE %s", $wpdb->esc_like( '_workos_passkey_' ) . '%' ) ); // phpcs:ignore WordPress.DB

// Login Profiles (a private post type) and their routing rules.
$workos_profile_ids = $wpdb->get_col( $wpdb->prepare( "SELECT ID FROM {$wpdb->posts} WHERE post_type = %s", WorkOS_WP\Profiles\ProfileRepository::POST_TYPE ) ); // phpcs:ignore WordPress.DB
foreach ( $workos_profile_ids as $workos_profile_id ) {
	wp_delete_post( (int) $workos_profile_id, true );
}

WorkOS_WP\Maintenance::deactivate();

foreach ( array( WorkOS_WP\Settings::OPTION, 'workos_connections', 'workos_directories', 'workos_untrusted_proxy_seen', WorkOS_WP\Migration\Importer::PENDING_OPTION, WorkOS_WP\Migration\Importer::DONE_OPTION, WorkOS_WP\LOGIN_PATHS_OPTION, WorkOS_WP\Profiles\Routing::OPTION ) as $workos_option ) {
	delete_option( $workos_option );
}
// In a network, also the network's settings (see WorkOS_WP\Settings\Registry, `network`).
if ( is_multisite() ) {
	delete_site_option( WorkOS_WP\Settings::OPTION );
}
delete_transient( 'workos_pruned' );
// Single-use sign-in markers (see Callback::claim_flow).
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'workos_flow_used_' ) . '%' ) ); // phpcs:ignore WordPress.DB

WorkOS_WP\Schema::drop();
