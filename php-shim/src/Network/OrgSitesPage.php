<?php
/**
 * Network Admin → Settings → WorkOS sites: the organization → site mapping.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Network;

use WorkOS_WP\Api;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Lists the mappings, adds one (an organization, the sites, a role) and
 * removes one. Only a network administrator (`manage_network_options`):
 * a mapping gives people roles on any site of the network.
 */
final class OrgSitesPage {

	public const SLUG = 'workos-org-sites';

	/** The network_admin_edit_ action the forms post to (and their nonce action). */
	public const ACTION = 'workos_org_sites';

	/** How long the organization list WorkOS gave is reused (seconds). */
	private const ORGANIZATIONS_TTL = 300;

	/** At most this many sites are offered (a larger network types nothing: the list is paged by WordPress's own screens). */
	private const MAX_SITES = 500;

	/**
	 * network_admin_menu: the screen, under the network's Settings.
	 */
	public static function add_menu(): void {
		$hook = add_submenu_page( 'settings.php', __( 'WorkOS sites', 'workos' ), __( 'WorkOS sites', 'workos' ), 'manage_network_options', self::SLUG, array( self::class, 'render' ) );
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * load-{screen}: the table must exist at this version, and narrow
	 * screens get the table stacked.
	 */
	public static function load(): void {
		if ( ! current_user_can( 'manage_network_options' ) ) {
			return;
		}
		Schema::ensure();
		wp_add_inline_style(
			'common',
			'.workos-org-sites fieldset{margin:0 0 1em}.workos-org-sites .workos-sites-list{max-height:16em;overflow:auto;border:1px solid #c3c4c7;padding:.5em 1em;background:#fff;max-width:40em}'
			. '.workos-org-sites .workos-sites-list label{display:block;padding:.35em 0}.workos-org-sites .description{max-width:48em}'
			. '@media screen and (max-width:782px){.workos-org-sites table.workos-mappings thead{display:none}.workos-org-sites table.workos-mappings td{display:block;padding:.4em .8em}'
			. '.workos-org-sites table.workos-mappings td::before{content:attr(data-label);display:block;font-weight:600}.workos-org-sites table.workos-mappings tr{border-bottom:1px solid #c3c4c7}'
			. '.workos-org-sites select,.workos-org-sites input[type=text]{width:100%;max-width:none}}'
		);
	}

	/**
	 * The screen.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage the WorkOS sites of this network.', 'workos' ), '', array( 'response' => 403 ) );
		}
		$orgs     = self::organizations();
		$mappings = OrgSites::all();
		echo '<div class="wrap workos-org-sites"><h1>' . esc_html__( 'WorkOS sites', 'workos' ) . '</h1>';
		echo '<p class="description">' . esc_html__( 'Members of a WorkOS organization become members of the sites mapped to it, with the role chosen here: when they sign in, and when WorkOS tells this network about a membership (webhooks, Directory Sync). When the membership ends, or the mapping is removed, the access it gave is taken back. People a site\'s administrator added by hand keep their role.', 'workos' ) . '</p>';
		self::render_result();

		echo '<h2>' . esc_html__( 'Mappings', 'workos' ) . '</h2>';
		if ( ! $mappings ) {
			echo '<p>' . esc_html__( 'No organization is mapped to a site yet.', 'workos' ) . '</p>';
		} else {
			echo '<table class="widefat striped workos-mappings"><thead><tr><th scope="col">' . esc_html__( 'Organization', 'workos' ) . '</th><th scope="col">' . esc_html__( 'Site', 'workos' ) . '</th><th scope="col">' . esc_html__( 'Role', 'workos' ) . '</th><th scope="col"><span class="screen-reader-text">' . esc_html__( 'Actions', 'workos' ) . '</span></th></tr></thead><tbody>';
			foreach ( $mappings as $m ) {
				$org  = $orgs[ $m['organization_id'] ] ?? $m['organization_id'];
				$site = self::site_name( $m['blog_id'] );
				echo '<tr><td data-label="' . esc_attr__( 'Organization', 'workos' ) . '">' . esc_html( $org );
				if ( $org !== $m['organization_id'] ) {
					echo '<br><code>' . esc_html( $m['organization_id'] ) . '</code>';
				}
				echo '</td><td data-label="' . esc_attr__( 'Site', 'workos' ) . '">' . esc_html( $site ) . '</td>';
				echo '<td data-label="' . esc_attr__( 'Role', 'workos' ) . '">' . ( '' === $m['role'] ? esc_html__( 'None: grants nothing until a role is chosen (map it again)', 'workos' ) : esc_html( self::role_name( $m['role'] ) ) ) . '</td><td>';
				echo '<form method="post" action="' . esc_url( network_admin_url( 'edit.php?action=' . self::ACTION ) ) . '">';
				wp_nonce_field( self::ACTION );
				echo '<input type="hidden" name="op" value="unmap"><input type="hidden" name="organization_id" value="' . esc_attr( $m['organization_id'] ) . '"><input type="hidden" name="blog_id" value="' . esc_attr( (string) $m['blog_id'] ) . '">';
				/* translators: 1: organization, 2: site. */
				$label = sprintf( __( 'Remove the mapping of %1$s to %2$s', 'workos' ), $org, $site );
				echo '<button type="submit" class="button" aria-label="' . esc_attr( $label ) . '">' . esc_html__( 'Remove', 'workos' ) . '</button></form></td></tr>';
			}
			echo '</tbody></table>';
		}

		echo '<h2>' . esc_html__( 'Map an organization', 'workos' ) . '</h2>';
		echo '<form method="post" action="' . esc_url( network_admin_url( 'edit.php?action=' . self::ACTION ) ) . '">';
		wp_nonce_field( self::ACTION );
		echo '<input type="hidden" name="op" value="map"><table class="form-table" role="presentation"><tbody>';
		echo '<tr><th scope="row"><label for="workos-org">' . esc_html__( 'Organization', 'workos' ) . '</label></th><td>';
		if ( $orgs ) {
			echo '<select id="workos-org" name="organization_id" required><option value="">' . esc_html__( '— Choose —', 'workos' ) . '</option>';
			foreach ( $orgs as $id => $name ) {
				echo '<option value="' . esc_attr( $id ) . '">' . esc_html( $name . ' (' . $id . ')' ) . '</option>';
			}
			echo '</select>';
		} else {
			echo '<input type="text" class="regular-text code" id="workos-org" name="organization_id" required pattern="org_[A-Za-z0-9]+" aria-describedby="workos-org-help"><p class="description" id="workos-org-help">' . esc_html__( 'The organizations could not be listed from WorkOS: type the organization ID (org_…).', 'workos' ) . '</p>';
		}
		echo '</td></tr><tr><th scope="row">' . esc_html__( 'Sites', 'workos' ) . '</th><td><fieldset><legend class="screen-reader-text">' . esc_html__( 'Sites', 'workos' ) . '</legend><div class="workos-sites-list">';
		foreach ( get_sites( array( 'number' => self::MAX_SITES ) ) as $site ) {
			$id = (int) $site->blog_id;
			echo '<label><input type="checkbox" name="blog_ids[]" value="' . esc_attr( (string) $id ) . '"> ' . esc_html( self::site_name( $id ) ) . '</label>';
		}
		echo '</div></fieldset></td></tr>';
		echo '<tr><th scope="row"><label for="workos-role">' . esc_html__( 'Role', 'workos' ) . '</label></th><td><select id="workos-role" name="role" aria-describedby="workos-role-help">';
		foreach ( wp_roles()->get_names() as $slug => $name ) {
			echo '<option value="' . esc_attr( $slug ) . '"' . selected( 'subscriber', $slug, false ) . '>' . esc_html( translate_user_role( $name ) ) . '</option>';
		}
		echo '</select><p class="description" id="workos-role-help">' . esc_html__( 'The role its members get on each site chosen. Mapping an organization to a site again changes the role.', 'workos' ) . '</p></td></tr>';
		echo '</tbody></table>';
		submit_button( __( 'Map', 'workos' ) );
		echo '</form></div>';
	}

	/**
	 * What the last submission did, said once (the redirect's query).
	 */
	private static function render_result(): void {
		$done = isset( $_GET['workos_done'] ) ? sanitize_key( wp_unslash( $_GET['workos_done'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification -- a message to show, nothing done.
		$n    = isset( $_GET['workos_changed'] ) ? absint( $_GET['workos_changed'] ) : 0; // phpcs:ignore WordPress.Security.NonceVerification
		if ( 'mapped' === $done || 'unmapped' === $done ) {
			$text = 'mapped' === $done ? __( 'The organization is mapped.', 'workos' ) : __( 'The mapping is removed.', 'workos' );
			/* translators: %d: number of people. */
			$text .= ' ' . sprintf( _n( 'The access of %d person changed.', 'The access of %d people changed.', $n, 'workos' ), $n );
			echo '<div class="notice notice-success" role="status"><p>' . esc_html( $text ) . '</p></div>';
		} elseif ( 'invalid' === $done ) {
			echo '<div class="notice notice-error" role="alert"><p>' . esc_html__( 'Nothing was mapped: choose an organization, at least one site and a role.', 'workos' ) . '</p></div>';
		}
	}

	/**
	 * network_admin_edit_workos_org_sites: maps or unmaps, then back to the screen.
	 */
	public static function save(): void {
		if ( ! is_multisite() || ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage the WorkOS sites of this network.', 'workos' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::ACTION );
		Schema::ensure();
		$op    = isset( $_POST['op'] ) ? sanitize_key( wp_unslash( $_POST['op'] ) ) : '';
		$org   = isset( $_POST['organization_id'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['organization_id'] ) ) ) : '';
		$role  = isset( $_POST['role'] ) ? sanitize_key( wp_unslash( $_POST['role'] ) ) : '';
		$blogs = isset( $_POST['blog_ids'] ) ? array_map( 'absint', (array) wp_unslash( $_POST['blog_ids'] ) ) : array();
		if ( isset( $_POST['blog_id'] ) ) {
			$blogs[] = absint( $_POST['blog_id'] );
		}
		$blogs = array_values( array_unique( array_filter( $blogs, static fn( int $b ) => $b > 0 && null !== get_site( $b ) ) ) );
		$valid = 1 === preg_match( '/^org_[A-Za-z0-9]{1,60}$/D', $org ) && $blogs;
		$done  = 'invalid';
		$n     = 0;
		if ( $valid && 'map' === $op && wp_roles()->is_role( $role ) ) {
			foreach ( $blogs as $blog ) {
				$n += OrgSites::map( $org, $blog, $role );
			}
			$done = 'mapped';
		} elseif ( $valid && 'unmap' === $op ) {
			foreach ( $blogs as $blog ) {
				$n += OrgSites::unmap( $org, $blog );
			}
			$done = 'unmapped';
		}
		wp_safe_redirect(
			add_query_arg(
				array(
					'page'           => self::SLUG,
					'workos_done'    => $done,
					'workos_changed' => $n,
				),
				network_admin_url( 'settings.php' )
			)
		);
		exit;
	}

	/**
	 * The organizations to pick from: WorkOS's list (kept a few minutes), with
	 * the local copy's names for any it did not give; id => name.
	 *
	 * @return array<string, string>
	 */
	private static function organizations(): array {
		global $wpdb;
		$orgs = array();
		if ( \WorkOS_WP\extension_ready() && Settings::is_configured() ) {
			try {
				foreach ( Api::client()->listOrganizationsCached( array( 'order' => 'desc' ), 1000, self::ORGANIZATIONS_TTL ) as $org ) {
					if ( is_string( $org['id'] ?? null ) ) {
						$orgs[ $org['id'] ] = (string) ( $org['name'] ?? $org['id'] );
					}
				}
			} catch ( \WorkOS\Native\Exception $e ) {
				$orgs = array(); // The local copy below, or a typed id.
			}
		}
		foreach ( (array) $wpdb->get_results( 'SELECT workos_id, name FROM ' . Schema::table( 'organizations' ) . " WHERE workos_id <> '' LIMIT 1000", ARRAY_A ) as $row ) { // phpcs:ignore WordPress.DB
			if ( ! isset( $orgs[ $row['workos_id'] ] ) ) {
				$orgs[ (string) $row['workos_id'] ] = '' !== (string) $row['name'] ? (string) $row['name'] : (string) $row['workos_id'];
			}
		}
		asort( $orgs, SORT_NATURAL | SORT_FLAG_CASE );
		return $orgs;
	}

	/**
	 * A site's name and address, for the lists.
	 *
	 * @param int $blog_id Site.
	 */
	private static function site_name( int $blog_id ): string {
		$site = get_site( $blog_id );
		if ( ! $site ) {
			/* translators: %d: site id. */
			return sprintf( __( 'Site %d (deleted)', 'workos' ), $blog_id );
		}
		$details = get_blog_details( $blog_id );
		$name    = $details && '' !== (string) $details->blogname ? (string) $details->blogname : (string) $site->domain;
		return $name . ' — ' . $site->domain . $site->path;
	}

	/**
	 * A role's display name ('' slug or unknown: the slug).
	 *
	 * @param string $role Role slug.
	 */
	private static function role_name( string $role ): string {
		$names = wp_roles()->get_names();
		return isset( $names[ $role ] ) ? translate_user_role( $names[ $role ] ) : $role;
	}
}
